"""The registries component's web app: a small JSON API per member system.

Every record leaves through the schema codec, so it is validated against its XSD on the way out;
``Accept: application/xml`` returns the canonical XML instead of the JSON form.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header
from fastapi.responses import JSONResponse, Response

from onedoor.http import create_component_app
from onedoor.member_credentials import check_bearer, load_member_credential
from onedoor.runtime import Runtime, SessionDep
from registries.business import service as business
from registries.civil import service as civil
from registries.education import service as education
from registries.familybook import service as familybook
from registries.health import service as health
from registries.residence import service as residence
from registries.statistics import service as statistics
from registries.tax import service as tax
from registries.welfare import service as welfare
from schemas.codec import JsonRecord, to_xml
from schemas.identifiers import PersonId

AcceptHeader = Annotated[str, Header()]
MEMBER_SYSTEM = "registries"  # the credential name its gateways present


def _render(record_type: str, record: JsonRecord, accept: str) -> Response:
    if "application/xml" in accept:
        return Response(to_xml(record_type, record), media_type="application/xml")
    return JSONResponse(record)


def civil_router() -> APIRouter:
    router = APIRouter(prefix="/civil", tags=["civil registry"])

    @router.get("/persons/{person_id}")
    def get_person(person_id: str, session: SessionDep, accept: AcceptHeader = "") -> Response:
        record = civil.get_person(session, person_id=PersonId.parse(person_id))
        return _render("Person", record, accept)

    @router.get("/persons/{person_id}/records")
    def person_records(person_id: str, session: SessionDep) -> list[JsonRecord]:
        return civil.records_about(session, person_id=PersonId.parse(person_id))

    @router.get("/records/{record_id}")
    def get_record(record_id: str, session: SessionDep) -> JsonRecord:
        return civil.get_record(session, record_id=record_id)

    @router.get("/records/{record_id}/history")
    def record_history(record_id: str, session: SessionDep) -> list[JsonRecord]:
        return civil.history(session, record_id=record_id)

    return router


def familybook_router() -> APIRouter:
    router = APIRouter(prefix="/familybook", tags=["family book"])

    @router.get("/households/{household_id}")
    def get_household(household_id: str, session: SessionDep) -> JsonRecord:
        return familybook.get_household(session, household_id=household_id)

    @router.get("/members/{person_id}")
    def household_of(person_id: str, session: SessionDep) -> JsonRecord:
        return familybook.household_of(session, person_id=PersonId.parse(person_id))

    return router


def ministries_router() -> APIRouter:
    router = APIRouter()

    @router.get("/residence/{person_id}", tags=["residence"])
    def get_residence(person_id: str, session: SessionDep) -> JsonRecord:
        return residence.current_residence(session, person_id=PersonId.parse(person_id))

    @router.get("/residence/{person_id}/history", tags=["residence"])
    def residence_history(person_id: str, session: SessionDep) -> list[JsonRecord]:
        return residence.residence_history(session, person_id=PersonId.parse(person_id))

    @router.get("/business/{registration_number}", tags=["business registry"])
    def get_business(registration_number: str, session: SessionDep) -> JsonRecord:
        return business.get_business(session, registration_number=registration_number)

    @router.get("/tax/taxpayers/{tin}", tags=["tax"])
    def get_taxpayer(tin: str, session: SessionDep) -> JsonRecord:
        return tax.get_taxpayer(session, tin=tin)

    @router.get("/welfare/child-allowance/{child_id}", tags=["social welfare"])
    def child_allowance(child_id: str, session: SessionDep) -> JsonRecord:
        return welfare.case_for_child(session, child_id=PersonId.parse(child_id))

    @router.get("/health/immunisations/{person_id}", tags=["health"])
    def immunisations(person_id: str, session: SessionDep) -> JsonRecord:
        return health.schedule_for(session, person_id=PersonId.parse(person_id))

    @router.get("/education/forecasts/{district_code}/{school_year}", tags=["education"])
    def forecast(district_code: str, school_year: str, session: SessionDep) -> JsonRecord:
        return education.get_forecast(session, district_code=district_code, school_year=school_year)

    @router.get("/statistics/events", tags=["statistics"])
    def events(
        session: SessionDep, event: str | None = None, period: str | None = None
    ) -> list[dict[str, Any]]:
        return statistics.event_counts(session, event=event, period=period)

    return router


def create_app(runtime: Runtime) -> FastAPI:
    """The registries' API; every route but /health answers only the members' gateways."""
    app = create_component_app("registries", runtime, title="OneDoor registries")
    token = load_member_credential(
        runtime.settings, MEMBER_SYSTEM, create=runtime.settings.environment == "development"
    )

    def gateway_only(authorization: Annotated[str | None, Header()] = None) -> None:
        check_bearer(authorization, expected=token)

    guarded = [Depends(gateway_only)]
    app.include_router(civil_router(), dependencies=guarded)
    app.include_router(familybook_router(), dependencies=guarded)
    app.include_router(ministries_router(), dependencies=guarded)
    return app

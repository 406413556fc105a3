"""An application as a one-page PDF in Lao and English, with embedded, shaped Noto fonts.

fpdf2 shapes text with HarfBuzz (uharfbuzz), so Lao vowel and tone marks sit where they
belong; Noto Sans Lao has no Latin digits or letters, so Noto Sans (a Latin subset) is the
fallback inside Lao lines. Fonts ship in ``fonts/`` under the SIL Open Font License 1.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).parent / "fonts"
LAO, LATIN = "NotoSansLao", "NotoSans"


@dataclass(frozen=True)
class Field:
    """One line of the application: label in Lao and English, and the value."""

    label_lo: str
    label_en: str
    value: str


@dataclass(frozen=True)
class Application:
    """What the citizen signs; the PDF shows exactly these values."""

    reference: str
    title_lo: str
    title_en: str
    authority_lo: str
    authority_en: str
    fields: Sequence[Field]
    submitted_at: datetime


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2000, 1, 1))  # callers override with submitted_at
    for family in (LAO, LATIN):
        pdf.add_font(family, "", str(FONTS / f"{family}-Regular.ttf"))
        pdf.add_font(family, "B", str(FONTS / f"{family}-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts([LATIN], exact_match=False)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    return pdf


def render_application(application: Application) -> bytes:
    """The application as PDF bytes (deterministic for the same input)."""
    pdf = _document()
    pdf.set_creation_date(application.submitted_at)
    pdf.set_title(application.title_en)
    pdf.set_lang("lo")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(LAO, "B", 15)
    pdf.cell(width, 9, application.authority_lo, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(LATIN, "", 10)
    pdf.cell(width, 6, application.authority_en, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(LAO, "B", 18)
    pdf.cell(width, 11, application.title_lo, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(LATIN, "B", 13)
    pdf.cell(width, 8, application.title_en, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(LAO, "", 9)
    stamp = application.submitted_at.strftime("%Y-%m-%d %H:%M UTC")
    pdf.cell(width, 6, f"ເລກທີ / Reference: {application.reference}    {stamp}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    label_width = width * 0.45
    for field in application.fields:
        top = pdf.get_y()
        pdf.set_font(LAO, "", 11)
        pdf.multi_cell(label_width, 7, field.label_lo, border="LT", new_x=XPos.RIGHT,
                       new_y=YPos.TOP)
        pdf.set_font(LAO, "", 11)
        pdf.multi_cell(width - label_width, 7, field.value, border="LTR", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.set_font(LATIN, "", 8)
        pdf.cell(label_width, 5, field.label_en, border="LB", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.cell(width - label_width, 5, "", border="RB", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if pdf.get_y() <= top:
            break
    pdf.ln(8)
    pdf.set_font(LAO, "", 10)
    pdf.multi_cell(
        width, 6,
        "ຂ້າພະເຈົ້າຂໍຢັ້ງຢືນວ່າຂໍ້ມູນຂ້າງເທິງນີ້ຖືກຕ້ອງ ແລະ ລົງລາຍເຊັນເອເລັກໂຕຣນິກ.",
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )
    pdf.set_font(LATIN, "", 9)
    pdf.multi_cell(
        width, 5,
        "I confirm that the information above is correct and sign it electronically.",
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def sample_application(now: datetime, *, name: str = "ສົມໃຈ ພົມມະວົງ",
                       person_id: str = "LA0101198500123") -> Application:
    """A child-allowance application, for demos, tests and the benchmark."""
    return Application(
        reference="APP-2026-000123",
        title_lo="ຄຳຮ້ອງຂໍເງິນອຸດໜູນເດັກ",
        title_en="Application for child allowance",
        authority_lo="ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ",
        authority_en="Ministry of Labour and Social Welfare",
        fields=(
            Field("ຊື່ ແລະ ນາມສະກຸນ", "Name", name),
            Field("ເລກປະຈຳຕົວ", "Person identifier", person_id),
            Field("ຊື່ເດັກ", "Child's name", "ນ້ອຍ ພົມມະວົງ"),
            Field("ວັນເດືອນປີເກີດຂອງເດັກ", "Child's date of birth", "2025-11-02"),
            Field("ທີ່ຢູ່", "Address", "ບ້ານ ໂພນສະອາດ, ເມືອງ ໄຊເສດຖາ, ນະຄອນຫຼວງວຽງຈັນ"),
            Field("ບັນຊີທະນາຄານ", "Bank account", "BCEL 010-12-00-00123456-001"),
        ),
        submitted_at=now,
    )

# One image for every component; docker-compose.yml picks the component with `onedoor serve`.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ONEDOOR_STATE_DIR=/var/lib/onedoor
WORKDIR /app
COPY pyproject.toml README.md ./
COPY onedoor ./onedoor
COPY idp ./idp
COPY exchange ./exchange
COPY registries ./registries
COPY keys ./keys
COPY portal ./portal
COPY schemas ./schemas
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/onedoor onedoor \
    && mkdir -p /var/lib/onedoor && chown onedoor /var/lib/onedoor
USER onedoor
ENTRYPOINT ["onedoor"]

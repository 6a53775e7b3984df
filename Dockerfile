FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LOTSE_DATA_DIR=/data

RUN useradd --create-home --uid 10001 lotse \
 && mkdir -p /data && chown lotse:lotse /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY plugins ./plugins
RUN pip install '.[postgres]'

USER lotse
VOLUME ["/data"]
ENTRYPOINT ["lotse"]
CMD ["run"]

# Image of the medtwin API for docker-compose.yml (not built on the project's machines: no Docker).
FROM python:3.11-slim
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
RUN uv sync --frozen --no-dev && ln -s /app/.venv/bin/medtwin /usr/local/bin/medtwin
EXPOSE 8000

# One image for the API and the worker (production topology: see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:editor && npm run build:workflows -- /app/dist/workflow-bundle.js
# NODE_ENV=production: no default secrets, whatever entry point runs.
ENV HOST=0.0.0.0 SEED_DEMO=false NODE_ENV=production WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
CMD ["npx", "tsx", "server/main.ts"]

# The assistant as a container: Node 22 LTS (slim), built in one stage, run from another with
# production dependencies only, as the unprivileged "node" user, under tini, with a health check.
#   docker build -t iemic-assistant .
#   docker run --rm -p 3978:3978 -e MicrosoftAppId=... -e MicrosoftAppPassword=... iemic-assistant
# Node 22 and 24 are the supported LTS lines (Node 20 reached end of life on 2026-04-30; the code
# still runs on it for development).

# ---- build: compile TypeScript to dist/ ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY feedback ./feedback
COPY knowledge ./knowledge
COPY locales ./locales
COPY nlu ./nlu
COPY privacy ./privacy
COPY scripts ./scripts
COPY server ./server
COPY staff ./staff
COPY storage ./storage
COPY types ./types
RUN npm run build

# ---- deps: production dependencies only ----
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the only install scripts are botbuilder-dialogs' clean-up (`npx rimraf`, a
# devDependency, so it would try to download) and core-js' banner; nothing needs building.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:22-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3978 \
    DATA_DIR=/data
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# read at run time: the facts, the phrases, the chat page
COPY --chown=node:node knowledge ./knowledge
COPY --chown=node:node locales ./locales
COPY --chown=node:node server/public ./server/public
# the evaluation sets a staff training change is checked against before it is applied (staff/teachEval.ts)
COPY --chown=node:node test/nlu/eval.jsonl test/nlu/heldout.jsonl ./test/nlu/
COPY --chown=node:node test/answers/eval.jsonl test/answers/heldout.jsonl ./test/answers/
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3978
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini as PID 1: signals reach node (SIGTERM -> flush, "stopped"), zombies are reaped
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server/index.js"]

# syntax=docker/dockerfile:1
# Multi-stage image: build with the full toolchain, run on a slim image as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json codegen.yml ./
COPY schema ./schema
COPY src ./src
# The generated resolver types are committed; regenerate to prove they are current, then compile.
RUN npm run codegen && npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# A heap ceiling well above what the subgraph keeps live (about 35 MB under 50 clients; the execution gate bounds it),
# set so that V8 collects before garbage piles up: with no ceiling on a large machine V8 lets the heap grow to about
# four times its live size between full collections. Peak RSS at 50 clients: about 170 MB with it, 220-250 MB
# without (README "Benchmarks", `npm run bench -- queries`). Override NODE_OPTIONS to change it.
ENV NODE_OPTIONS=--max-old-space-size=1024
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# The embedded store's default file (STORE_PATH, used without DATABASE_URL) must be writable by the runtime user;
# production replicas share PostgreSQL (DATABASE_URL) instead.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
ENV PORT=4000
EXPOSE 4000
# Liveness: /health answers without calling ThoughtSpot or the store (readiness is a separate probe).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]

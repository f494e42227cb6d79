# dailypapers as a container image. Build: docker build -t dailypapers .
# Run (SQLite in a volume): docker run -p 3000:3000 -v dailypapers-data:/data dailypapers
# With PostgreSQL, SMTP and several instances: compose.yaml. The RUN steps are also
# scripts/image-steps.sh, which performs them outside a container (machines without an engine).

# Build stage: compilers for the native modules (better-sqlite3, usearch, build/dp_bm25.so).
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# npm ci runs `prepare`: the TypeScript build (dist/) and the FTS5 ranking function (build/).
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Run stage: the program and its production dependencies only, as an unprivileged user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY --from=build /app/bin ./bin
# The stylesheet and script are read from the source tree (tsc copies no assets into dist/).
COPY --from=build /app/src/web/ui/static ./src/web/ui/static
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/dailypapers", "serve"]

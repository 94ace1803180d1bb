# One image for the worker, the webhook receiver and the emulator: `kms-retire <verb>`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# npm install, not npm ci: see .ci/run (an optional dependency of vite is not on the registry).
RUN npm install --no-audit --no-fund && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# Node 20's young generation for the main isolate too (src/worker-memory.ts bounds the workflow thread's).
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
USER node
ENTRYPOINT ["node", "/app/bin/kms-retire.js"]
CMD ["--help"]

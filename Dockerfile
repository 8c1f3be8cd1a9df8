# One image for the API, the workers and the CLI. The TypeScript sources run under tsx,
# as in development, so what is tested is exactly what runs. tsx reads tsconfig.json
# for the decorator settings, so it is part of the image. The workbench is built here
# into apps/web/dist, which the API serves at / when WEB_DIST_DIR names it.
FROM node:20-bookworm-slim
WORKDIR /app
ENV CHECKPOINT_DISABLE=1
COPY package.json package-lock.json tsconfig.base.json tsconfig.json nx.json ./
COPY apps apps
COPY libs libs
COPY tools tools
# Dev dependencies included: the Prisma client is generated at install time, and Vite
# builds the workbench.
RUN npm ci --no-audit --no-fund && npm run web:build && npm cache clean --force
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]

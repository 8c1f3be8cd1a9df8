#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# It must fail: a stub that succeeds (like /bin/true) makes `prisma migrate deploy`
# and `prisma db execute` report success while doing nothing.
echo "The native Prisma schema engine is not installed; migrations run through the WebAssembly engine (see libs/db/MIGRATIONS.md)." >&2
exit 1

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@qadaga/db/testing';
import { explain } from './main.js';

/** The errors come from the real PostgreSQL, so a change in its codes or wording would show here. */
async function errorOf(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(sql);
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('expected the statement to fail');
}

describe('qadaga error messages', () => {
  it('tells a newcomer to migrate when a table is missing', async () => {
    const message = explain(await errorOf(testDatabaseUrl(), 'SELECT * FROM table_that_no_migration_creates'));
    expect(message).toContain('table_that_no_migration_creates');
    expect(message).toContain('npx qadaga migrate');
  });

  it('tells a newcomer to create the database when it does not exist', async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = '/qadaga_database_that_does_not_exist';
    const message = explain(await errorOf(url.toString(), 'SELECT 1'));
    expect(message).toContain('qadaga_database_that_does_not_exist');
    expect(message).toContain('createdb');
  });

  it('leaves other errors as they are', () => {
    expect(explain(new Error('--seed: must be a positive whole number, not x'))).toBe('--seed: must be a positive whole number, not x');
  });
});

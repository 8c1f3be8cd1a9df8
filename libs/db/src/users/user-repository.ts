import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Locale, User as ContractUser, UserRole } from '@qadaga/contracts/api';
import { DECOY_HASH, hashPassword, verifyPassword } from './password.js';

export { USER_ROLES, LOCALES, type UserRole, type Locale } from '@qadaga/contracts/api';

/** A person who uses the workbench, as the API answers them (its contract is User). */
export type User = ContractUser;

export interface NewUser {
  username: string;
  displayName: string;
  password?: string;
  roles: UserRole[];
  locale?: Locale;
  officerId?: string | null;
  unit?: string | null;
  externalSubject?: string | null;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  locale: string;
  officer_id: string | null;
  unit: string | null;
}

const USER_COLUMNS = 'u.id, u.username, u.display_name, u.roles, u.locale, u.officer_id, u.unit';
const SESSION_PREFIX = 'qds_';

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  roles: r.roles as UserRole[],
  locale: r.locale as Locale,
  officerId: r.officer_id,
  unit: r.unit,
});

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Whether a bearer credential is a session token (the rest are API keys). */
export const isSessionToken = (credential: string) => credential.startsWith(SESSION_PREFIX);

/**
 * People and their sessions. Session tokens are random 256-bit secrets stored as SHA-256,
 * like API keys; passwords, being guessable, get scrypt.
 */
export class UserRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(user: NewUser): Promise<User> {
    const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
    const { rows } = await this.pool.query<UserRow>(
      `INSERT INTO app_user AS u (id, username, display_name, password_hash, roles, locale, officer_id, unit, external_subject)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`,
      [user.username, user.displayName, passwordHash, user.roles, user.locale ?? 'ru', user.officerId ?? null, user.unit ?? null, user.externalSubject ?? null],
    );
    return toUser(rows[0] as UserRow);
  }

  /** Creates the user, or updates its name, roles, links and password (demo seeding and admin resets). */
  async upsert(user: NewUser): Promise<User> {
    const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
    const { rows } = await this.pool.query<UserRow>(
      `INSERT INTO app_user AS u (id, username, display_name, password_hash, roles, locale, officer_id, unit)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = coalesce(EXCLUDED.password_hash, u.password_hash),
         roles = EXCLUDED.roles, officer_id = EXCLUDED.officer_id, unit = EXCLUDED.unit
       RETURNING ${USER_COLUMNS}`,
      [user.username, user.displayName, passwordHash, user.roles, user.locale ?? 'ru', user.officerId ?? null, user.unit ?? null],
    );
    return toUser(rows[0] as UserRow);
  }

  /** The user if the password is right; null otherwise, taking as long for an unknown name. */
  async checkPassword(username: string, password: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow & { password_hash: string | null }>(
      `SELECT ${USER_COLUMNS}, u.password_hash FROM app_user u WHERE u.username = $1 AND u.disabled_at IS NULL`,
      [username],
    );
    const row = rows[0];
    const ok = await verifyPassword(password, row?.password_hash ?? DECOY_HASH);
    return ok && row !== undefined && row.password_hash !== null ? toUser(row) : null;
  }

  async startSession(userId: string, ttlMinutes: number): Promise<{ token: string; expiresAt: Date }> {
    const token = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
    await this.pool.query('INSERT INTO user_session (id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), $1, $2, $3)', [userId, tokenHash(token), expiresAt]);
    return { token, expiresAt };
  }

  /** The user behind a live session; null when unknown, expired, revoked or the user is disabled. */
  async sessionUser(token: string): Promise<(User & { expiresAt: Date }) | null> {
    const { rows } = await this.pool.query<UserRow & { expires_at: Date }>(
      `SELECT ${USER_COLUMNS}, s.expires_at FROM user_session s JOIN app_user u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [tokenHash(token)],
    );
    const row = rows[0];
    return row === undefined ? null : { ...toUser(row), expiresAt: row.expires_at };
  }

  /** Whether this token was ever issued, live or not: an expired session is no guess. */
  async sessionIssued(token: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM user_session WHERE token_hash = $1 LIMIT 1', [tokenHash(token)]);
    return rows.length > 0;
  }

  async endSession(token: string): Promise<void> {
    await this.pool.query('UPDATE user_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash(token)]);
  }

  /** The account an external identity provider vouches for ("issuer|subject"). */
  async byExternalSubject(subject: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.external_subject = $1 AND u.disabled_at IS NULL`, [subject]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async byId(id: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1`, [id]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async setLocale(id: string, locale: Locale): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(`UPDATE app_user u SET locale = $2 WHERE u.id = $1 RETURNING ${USER_COLUMNS}`, [id, locale]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async list(role?: UserRole): Promise<User[]> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.disabled_at IS NULL AND ($1::text IS NULL OR $1 = ANY(u.roles)) ORDER BY u.display_name`,
      [role ?? null],
    );
    return rows.map(toUser);
  }
}

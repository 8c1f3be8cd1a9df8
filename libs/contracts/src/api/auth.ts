import { z } from 'zod';
import { answerId, isoInstant } from './common.js';
import { endpoint } from './endpoint.js';
import { LOCALES, USER_ROLES } from './roles.js';

/** A signed-in person: name, roles, language, and the officer or unit they are recused from. */
export const User = z
  .object({
    id: answerId,
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(USER_ROLES)),
    locale: z.enum(LOCALES),
    officerId: z.string().nullable(),
    unit: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const LoginResult = z.object({ token: z.string(), expiresAt: isoInstant, user: User }).meta({ id: 'LoginResult' });
export type LoginResult = z.infer<typeof LoginResult>;

/** A person as others see them, e.g. to assign a case. */
export const UserSummary = User.pick({ id: true, username: true, displayName: true, roles: true }).meta({ id: 'UserSummary' });
export type UserSummary = z.infer<typeof UserSummary>;

export const authEndpoints = {
  login: endpoint({
    method: 'POST',
    path: '/v1/auth/login',
    tag: 'auth',
    access: 'public',
    summary: 'Sign in with a username and password; answers a session token that expires (anyone; attempts are rate-limited per address)',
    body: z.strictObject({
      username: z.string().trim().min(1, 'required').max(100),
      password: z.string().min(1, 'required').max(1_000),
    }),
    response: LoginResult,
  }),
  logout: endpoint({
    method: 'POST',
    path: '/v1/auth/logout',
    tag: 'auth',
    access: USER_ROLES,
    summary: 'End the current session',
    response: 'empty',
    status: 204,
  }),
  me: endpoint({
    method: 'GET',
    path: '/v1/me',
    tag: 'auth',
    access: USER_ROLES,
    summary: 'The signed-in user: name, roles, language, and the officer or unit they are recused from',
    response: User,
  }),
  setLocale: endpoint({
    method: 'PUT',
    path: '/v1/me/locale',
    tag: 'auth',
    access: USER_ROLES,
    summary: 'Choose the language of the workbench: ru, kk or en',
    body: z.strictObject({ locale: z.enum(LOCALES) }),
    response: User,
  }),
  users: endpoint({
    method: 'GET',
    path: '/v1/users',
    tag: 'auth',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'People who use the workbench, optionally by role, e.g. to assign a case',
    query: z.strictObject({ role: z.enum(USER_ROLES).optional() }),
    response: z.object({ items: z.array(UserSummary) }).meta({ id: 'UserList' }),
  }),
};

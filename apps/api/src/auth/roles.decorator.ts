/**
 * Where the guard finds who may call a handler. The @Endpoint decorator sets these from
 * the endpoint's contract (its `access`): roles any one of which suffices, or public. A
 * handler with neither is refused to everybody (see AuthGuard).
 */
export const ROLES_KEY = 'qadaga:roles';
export const PUBLIC_KEY = 'qadaga:public';

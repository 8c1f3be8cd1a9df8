import { SetMetadata } from '@nestjs/common';
import type { Role } from '@qadaga/db';

export const ROLES_KEY = 'qadaga:roles';
export const PUBLIC_KEY = 'qadaga:public';

/** The roles that may call an endpoint. Every endpoint carries this or @Public(); the guard refuses one with neither. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** An endpoint anyone may call without credentials (health probes, public aggregates). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

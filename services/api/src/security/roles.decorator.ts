/** `@RequireRole('operator')` on a handler or controller; routes without it need `viewer`. `@Public()` skips auth. */
import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const ROLE_KEY = 'vigil:role';
export const PUBLIC_KEY = 'vigil:public';

export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

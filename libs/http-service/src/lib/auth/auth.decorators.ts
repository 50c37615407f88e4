import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Principal, Role } from '@prov/auth';

export const PUBLIC_ROUTE = 'prov:public-route';
export const REQUIRED_ROLES = 'prov:required-roles';

/** A route anyone may call (health, metrics, docs). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** The route needs at least one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated principal of the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

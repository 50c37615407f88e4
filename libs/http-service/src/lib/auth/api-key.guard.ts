import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyVerifier, Principal, Role } from '@prov/auth';
import { ForbiddenError, UnauthenticatedError } from '../errors/api-error';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';

export const API_KEY_VERIFIER = Symbol('ApiKeyVerifier');

/** Authenticates every route (unless @PublicRoute) by API key and checks @RequireRoles. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    // The scheme is case-insensitive, and one or more spaces separate it from the key (RFC 9110 section 11.1).
    const match = /^bearer +(\S+)$/i.exec(request.headers['authorization'] ?? '');
    const principal = match ? this.verifier.verify(match[1]) : undefined;
    if (!principal) throw new UnauthenticatedError();
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenError(
        `This needs one of the roles ${required.join(', ')}; ${principal.id} has ${principal.roles.join(', ')}`,
      );
    }
    return true;
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Principal, mayReadSensitive } from '@prov/auth';
import { ApiAnswer, CurrentPrincipal } from '@prov/http-service';

@ApiTags('session')
@Controller('v1/session')
export class SessionHttpController {
  /** Who the API key belongs to: the explorer checks a key with it at login and says whether fields are redacted. */
  @ApiAnswer(200, 'SessionAnswer', 'Who the API key belongs to')
  @Get()
  session(@CurrentPrincipal() principal: Principal) {
    return { principal: principal.id, roles: principal.roles, mayReadSensitive: mayReadSensitive(principal) };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { POLICY_CHECK, PROMOTION_POLICIES, type PolicyCheck, type PromotionPolicies } from './policy-check.port';
import { PromotionsHttpController } from './promotions.http.controller';

@Module({})
export class PromotionsModule {
  static with(policies: PromotionPolicies, check: PolicyCheck): DynamicModule {
    return {
      module: PromotionsModule,
      controllers: [PromotionsHttpController],
      providers: [
        { provide: PROMOTION_POLICIES, useValue: policies },
        { provide: POLICY_CHECK, useValue: check },
      ],
    };
  }
}

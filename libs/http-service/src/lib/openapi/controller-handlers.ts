import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** One method of a controller the application registered, with the classes it takes as parameters. */
export interface ControllerHandler {
  controller: Type;
  method: string;
  handler: object;
  parameterTypes: unknown[];
}

/** Every method of every controller of the application (its route handlers among them). */
export function* controllerHandlers(app: INestApplication): Generator<ControllerHandler> {
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type | undefined;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[method] as unknown;
        if (method === 'constructor' || typeof handler !== 'function') continue;
        const parameterTypes: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? [];
        yield { controller, method, handler, parameterTypes };
      }
    }
  }
}

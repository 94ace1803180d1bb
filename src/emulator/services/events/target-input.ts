import type { EventTarget } from './model';
import type { BusEvent } from './routing';

/**
 * What a target receives (EventBridge API Reference, Target): the event as JSON, or the target's
 * constant `Input`, or the part `InputPath` selects ("$.detail" style; InputTransformer is not emulated).
 */
export function targetInput(target: EventTarget, event: BusEvent): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath) {
    let value: unknown = event;
    for (const part of target.InputPath.replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean))
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    return JSON.stringify(value ?? null);
  }
  return JSON.stringify(event);
}

/** Intents for templates without a spec: references are logical ids (or internet, cidr:...). */
import type { IntentPlan, IntentRef, IntentSpec } from '../../src/plan/intents.js';
import { parsePorts } from '../../src/plan/refs.js';

function ref(text: string): IntentRef {
  const cidr = text.startsWith('cidr:');
  const body = cidr ? text.slice(5) : text;
  const colon = body.indexOf(':');
  const endpoint = colon === -1 ? body : body.slice(0, colon);
  return { endpoint: cidr ? `cidr:${endpoint}` : endpoint, ports: colon === -1 ? undefined : parsePorts(body.slice(colon + 1)) };
}

export function intent(name: string, spec: IntentSpec): IntentPlan {
  const side = (v: string | readonly string[] | undefined) => (v === undefined || v === '*' ? '*' as const : (typeof v === 'string' ? [v] : v).map(ref));
  const verb = (['only', 'deny', 'via', 'reach'] as const).find((v) => spec[v] !== undefined)!;
  return {
    name, description: undefined, from: side(spec.from), to: side(spec.to), verb, only: (spec.only ?? []).map(ref), via: spec.via,
    origin: ['intents', name], text: JSON.stringify(spec),
  };
}

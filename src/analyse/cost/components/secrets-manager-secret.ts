/** AWS::SecretsManager::Secret: one secret per month plus API calls from the usage file. */
import { fixedLine, usageLine, type CostRule } from '../rule.js';

export const secretsManagerSecret: CostRule = {
  types: ['AWS::SecretsManager::Secret'],
  layer: 'data',
  cost(r, ctx) {
    return {
      components: [
        fixedLine(ctx, 'Secret', 'secret-months', 'secretsmanager.secret', 1),
        usageLine(ctx, 'API calls', '1k calls', 'secretsmanager.api', 'secretsManager.apiCallsK', r.address),
      ],
    };
  },
};

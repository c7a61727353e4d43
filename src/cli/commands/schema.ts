import { specReferenceMarkdown } from '../../spec/reference.js';
import { specJsonSchema } from '../../spec/json-schema.js';
import type { Command } from './index.js';

export const schema: Command = {
  args: '[--markdown]',
  summary: 'print the JSON Schema of plinth.yaml (for editor completion)',
  help: 'Save it next to your spec and add "# yaml-language-server: $schema=./plinth.schema.json" as the first line.\n'
    + 'One schema covers every environment (environments: overlays use the same fields), so --env is refused here.',
  options: { markdown: { type: 'boolean' } },
  async run({ values }) {
    if (values.env !== undefined) {
      const { UsageError } = await import('../../spec/load.js');
      throw new UsageError('--env has nothing to select here: one schema describes the base spec and every environment\'s overlay alike. Run "plinth schema" without --env.');
    }
    process.stdout.write(values.markdown ? specReferenceMarkdown() : `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    return 0;
  },
};

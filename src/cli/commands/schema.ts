import { specReferenceMarkdown } from '../../spec/reference.js';
import { specJsonSchema } from '../../spec/json-schema.js';
import type { Command } from './index.js';

export const schema: Command = {
  args: '[--markdown]',
  summary: 'print the JSON Schema of plinth.yaml (for editor completion)',
  help: 'Save it next to your spec and add "# yaml-language-server: $schema=./plinth.schema.json" as the first line.',
  options: { markdown: { type: 'boolean' } },
  async run({ values }) {
    process.stdout.write(values.markdown ? specReferenceMarkdown() : `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    return 0;
  },
};

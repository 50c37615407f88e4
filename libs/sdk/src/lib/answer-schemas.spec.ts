import { readFileSync } from 'node:fs';
import { ANSWER_SCHEMAS_FILE, ANSWER_TYPES, generateAnswerSchemas } from '../../scripts/answer-schemas.generator';
import { answerSchemas } from './answer-schemas';

describe('answer schemas', () => {
  it('are those the answer types generate (else run `npx nx run sdk:answer-schemas`)', () => {
    const generated = generateAnswerSchemas();
    expect(JSON.parse(readFileSync(ANSWER_SCHEMAS_FILE, 'utf8'))).toEqual(generated);
  }, 60_000);

  it('name every answer type, and refer only to schemas they hold', () => {
    for (const name of ANSWER_TYPES) expect(answerSchemas[name]).toBeDefined();
    const refs = JSON.stringify(answerSchemas).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/answers.'.length, -1);
      expect(answerSchemas[name]).toBeDefined();
    }
  });
});

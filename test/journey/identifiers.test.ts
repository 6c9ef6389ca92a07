/** The id rule at its edges: an id exactly at the encoded limit is accepted, one character past it is not. */
import { idProblem, MAX_ENCODED_ID_LENGTH } from '../../src/journey/identifiers';

test('an id of exactly the encoded limit is accepted; one more encoded character is refused', () => {
  expect(idProblem('a'.repeat(MAX_ENCODED_ID_LENGTH))).toBeUndefined();
  expect(idProblem('a'.repeat(MAX_ENCODED_ID_LENGTH + 1))).toMatch(/percent-encoded/);
  // 'é' encodes to six characters (%C3%A9): 66 fit in 396, a 67th passes the limit.
  expect(idProblem('é'.repeat(66) + 'abcd')).toBeUndefined();
  expect(idProblem('é'.repeat(67))).toMatch(/percent-encoded/);
});

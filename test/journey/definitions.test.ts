/** Journey definitions are checked completely, once when they are made and again as a list. */
import { checkJourneyList, defineJourney, type JourneyDefinition } from '../../src/journey';
import { isJourneyError, type JourneyDefinitionError } from '../../src';
import { journey } from '../../src/workflow';
import { checkJourneyExports } from '../../src/worker/check-journeys';
import * as library from '../../workflows';
import * as fixtures from '../fixtures/journeys';
import { badDefinitions, goodDefinitions } from '../fixtures/journey-definitions';
import { LIBRARY_JOURNEYS } from '../support/library';
import { orderPlaced } from '../../workflows/events';

/** What `fn` threw, or a failure when it threw nothing. */
function thrown(fn: () => unknown): JourneyDefinitionError {
  try {
    fn();
  } catch (err) {
    return err as JourneyDefinitionError;
  }
  throw new Error('expected a throw, nothing was thrown');
}

const define = (name: unknown, options: unknown) => defineJourney(name as string, options as never);

describe.each(badDefinitions)('$title', ({ name, options, option }) => {
  test(`is refused, naming the option ${option}`, () => {
    const err = thrown(() => define(name, options));
    expect(isJourneyError(err, 'JOURNEY_INVALID')).toBe(true);
    expect(err.name).toBe('JourneyDefinitionError');
    expect({ journey: err.journey, option: err.option }).toEqual({ journey: String(name), option });
    expect(typeof err.allowed).toBe('string');
    expect(err.allowed.length).toBeGreaterThan(0);
    // The message names the journey, the option and what is allowed, so it can be fixed from the log.
    expect(err.message).toContain(`"${String(name)}"`);
    expect(err.message).toContain(option);
    expect(err.message).toContain(err.allowed);
  });

  test('is refused by journey() too, before there is a workflow', () => {
    const err = thrown(() => journey(name as string, options as never, () => Promise.resolve()));
    expect({ code: err.code, option: err.option }).toEqual({ code: 'JOURNEY_INVALID', option });
  });
});

test.each(goodDefinitions)('$title is accepted', ({ name, options }) => {
  const definition = define(name, options);
  expect(definition.name).toBe(name);
  expect(() => checkJourneyList([definition])).not.toThrow();
});

test('the message says what was given', () => {
  expect(thrown(() => define('cart', { reentry: 'sometimes' })).message).toContain('"sometimes"');
  expect(thrown(() => define('cart', { reentry: { after: '7 dayz' } })).message).toContain('"7 dayz"');
  expect(thrown(() => define('cart', { goals: orderPlaced })).message).toContain('goals');
});

test('nasty input is refused with JOURNEY_INVALID, never a raw TypeError', () => {
  const cases: [unknown, unknown, string][] = [
    [Object.create(null), {}, 'name'],
    [`a${'-b'.repeat(500_000)}`, {}, 'name'],
    ['cart', JSON.parse('{"__proto__": {"keyed": true}}'), '__proto__'],
    ['cart', Object.assign(Object.create(null), { reentry: 'sometimes' }), 'reentry'],
    // eslint-disable-next-line no-sparse-arrays
    ['cart', { events: [, orderPlaced] }, 'events[0]'],
    ['cart', { goal: [orderPlaced, 10n] }, 'goal[1]'],
    ['cart', { reentry: { after: '0.0001 ms' } }, 'reentry.after'],
    ['cart', { reentry: { after: '1e3 days' } }, 'reentry.after'],
    [
      'cart',
      {
        description: {
          toJSON: () => {
            throw new Error('no');
          },
        },
      },
      'description',
    ],
  ];
  for (const [name, options, option] of cases) {
    const err = thrown(() => define(name, options));
    expect({ code: err.code, option: err.option }).toEqual({ code: 'JOURNEY_INVALID', option });
    expect(err.message.length).toBeLessThan(1_000);
  }
});

test('a definition cannot be changed after it was checked', () => {
  const events = [orderPlaced];
  const definition = define('cart', { events });
  events.push(orderPlaced);
  expect(definition.events).toHaveLength(1);
  expect(Object.isFrozen(definition.events)).toBe(true);
  expect(Object.isFrozen(definition.goals)).toBe(true);
});

test('the library journeys and the test fixtures are all accepted, as modules and as lists', () => {
  const definitionsOf = (exports: Record<string, unknown>) =>
    Object.values(exports)
      .filter((v): v is { definition: JourneyDefinition } => typeof v === 'function' && 'definition' in v)
      .map((v) => v.definition);
  expect(
    definitionsOf(library)
      .map((d) => d.name)
      .sort(),
  ).toEqual([...LIBRARY_JOURNEYS]);
  expect(definitionsOf(fixtures).length).toBeGreaterThanOrEqual(9);
  expect(() => checkJourneyExports(library)).not.toThrow();
  expect(() => checkJourneyExports(fixtures)).not.toThrow();
  const ownFixtures = definitionsOf(fixtures).filter(
    (d) => !(LIBRARY_JOURNEYS as readonly string[]).includes(d.name),
  );
  expect(() => checkJourneyList([...definitionsOf(library), ...ownFixtures])).not.toThrow();
});

describe('checkJourneyList', () => {
  const welcome = define('welcome', { goal: orderPlaced });

  test('refuses two journeys with one name', () => {
    const err = thrown(() =>
      checkJourneyList([welcome, define('first-purchase', {}), define('welcome', {})]),
    );
    expect({ code: err.code, journey: err.journey, option: err.option }).toEqual({
      code: 'JOURNEY_INVALID',
      journey: 'welcome',
      option: 'name',
    });
    expect(err.message).toContain('journeys[0]');
    expect(err.message).toContain('journeys[2]');
  });

  test('refuses one journey listed twice: the client would deliver each event to it twice', () => {
    expect(thrown(() => checkJourneyList([welcome, welcome])).option).toBe('name');
  });

  test('refuses two names with one workflow type', () => {
    // `q-4promo` and `q4promo` are different names, but both run as the workflow type `q4promo`.
    const err = thrown(() => checkJourneyList([define('q-4promo', {}), define('q4promo', {})]));
    expect({ option: err.option, journey: err.journey }).toEqual({
      option: 'workflowType',
      journey: 'q4promo',
    });
  });

  test('checks each definition again: one built by hand, or changed on the way, is refused', () => {
    const handMade = { ...welcome, reentry: { after: '7 dayz' } } as unknown as JourneyDefinition;
    expect(thrown(() => checkJourneyList([handMade])).option).toBe('reentry.after');
    const renamed = { ...welcome, workflowType: 'somethingElse' } as JourneyDefinition;
    expect(thrown(() => checkJourneyList([renamed])).option).toBe('workflowType');
    const notOne = thrown(() => checkJourneyList([welcome, { name: 'x' } as unknown as JourneyDefinition]));
    expect({ code: notOne.code, option: notOne.option }).toEqual({
      code: 'JOURNEY_INVALID',
      option: 'journeys[1]',
    });
  });
});

describe('checkJourneyExports', () => {
  const ok = () => Promise.resolve();

  test('refuses a module with two journeys of one name, naming both exports', () => {
    const err = thrown(() =>
      checkJourneyExports({
        dup: journey('dup', {}, ok),
        dupAgain: journey('dup', { reentry: 'always' }, ok),
      }),
    );
    expect({ code: err.code, journey: err.journey, option: err.option }).toEqual({
      code: 'JOURNEY_INVALID',
      journey: 'dup',
      option: 'name',
    });
    expect(err.message).toContain('dupAgain');
  });

  test('refuses a journey exported under a name that is not its workflow type', () => {
    const err = thrown(() => checkJourneyExports({ cartJourney: library.abandonedCart }));
    expect({ code: err.code, option: err.option }).toEqual({
      code: 'JOURNEY_INVALID',
      option: 'workflowType',
    });
    expect(err.message).toContain('abandonedCart');
  });
});

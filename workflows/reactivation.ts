import { journey, promoCode, send, sleep, split, step } from 'temporal-journeys/workflow';
import { customerActive, orderPlaced } from './events';

/** The win-back offers, escalating: each email offers more than the last. */
export const WIN_BACK_OFFERS = ['10%', '15%', '25%'] as const;

/**
 * Reactivation (proactive: enrol the customers whose activity dropped, by hand or from a scheduled
 * segment): a win-back series a week apart with an escalating offer, the last one with a personal code.
 * Any sign of life (a visit, a login, an order) ends it `reactivated`; silence through the series ends it
 * `lapsed`. 10% of customers are held out, so the series' uplift can be measured.
 */
export const reactivation = journey(
  'reactivation',
  {
    goal: [customerActive, orderPlaced],
    goalOutcome: 'reactivated',
    reentry: { after: '90 days' },
    description:
      'Three win-back emails a week apart, 10% → 15% → 25%; exits reactivated on any activity, else lapsed.',
  },
  async () => {
    const group = split('win-back', { series: 100 }, { holdout: 10 });
    for (const [i, offer] of WIN_BACK_OFFERS.entries()) {
      const last = i === WIN_BACK_OFFERS.length - 1;
      // The holdout is sent nothing, so it gets no code either.
      const code = last && group !== 'holdout' ? await promoCode('win-back') : undefined;
      await step(`win-back-${i + 1}`, () => send.email('win-back', { offer, code }));
      await sleep('7 days');
    }
    return 'lapsed';
  },
);

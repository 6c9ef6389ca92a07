import { z } from 'zod';
import { defineTemplate, type TemplatesOf } from 'temporal-journeys';

export const trialEnding = defineTemplate(
  'trial-ending',
  z.object({ plan: z.string(), endsOn: z.string() }),
  ({ plan, endsOn, unsubscribeUrl }) => ({
    subject: `Your ${plan} trial ends on ${endsOn}`,
    text: `Your ${plan} trial ends on ${endsOn}. Subscribe to keep your work.${unsubscribeUrl ? `\n\nUnsubscribe: ${unsubscribeUrl}` : ''}`,
    html: `<p>Your <b>${plan}</b> trial ends on ${endsOn}. Subscribe to keep your work.</p>`,
  }),
);

/** Every template the worker registers. */
export const templates = [trialEnding] as const;

// `send.email` in the journeys is checked against these: a misspelt name or wrong data does not compile.
declare module 'temporal-journeys/workflow' {
  interface JourneyTemplates extends TemplatesOf<typeof templates> {}
}

// Build v2 of the rollout journeys (see journeys.ts).
import { rolloutJourneys } from './journeys';

export const { rolloutLong, rolloutShort } = rolloutJourneys('v2');

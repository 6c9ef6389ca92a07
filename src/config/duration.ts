import { z } from 'zod';
import { toMs, type Duration } from '../journey';

/** A duration as the journeys write it (`"30 seconds"`, `"5 minutes"`, `"1 day"`), checked when the file loads. */
export const duration = z.string().refine(
  (value) => {
    try {
      toMs(value as Duration);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a duration; write it like "30 seconds", "5 minutes" or "1 day"' },
);

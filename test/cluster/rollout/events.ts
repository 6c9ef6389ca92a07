/** The event the rollout journeys wait for between their two emails: the test decides when they go on. */
import { z } from 'zod';
import { defineEvent } from '../../../src/events';

export const rolloutGo = defineEvent('rollout.go', z.object({}));

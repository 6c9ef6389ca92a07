import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The typed search attributes every journey keeps up to date, so "how many customers are at or have passed
 * each step" is a visibility count. Register them once per namespace (`journeys dev` does it for the local
 * server; `temporal operator search-attribute create` for a cluster).
 */
export const journeySearchAttributes = {
  journeyName: defineSearchAttributeKey('JourneyName', SearchAttributeType.KEYWORD),
  customerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  step: defineSearchAttributeKey('JourneyStep', SearchAttributeType.KEYWORD),
  steps: defineSearchAttributeKey('JourneySteps', SearchAttributeType.KEYWORD_LIST),
  outcome: defineSearchAttributeKey('JourneyOutcome', SearchAttributeType.KEYWORD),
  variant: defineSearchAttributeKey('JourneyVariant', SearchAttributeType.KEYWORD),
} as const;

/** The keys as a list, for registering them with a server. */
export const journeySearchAttributeKeys = Object.values(journeySearchAttributes);

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the dev server at start (scripts/services) so `temporal workflow list --query` finds runs. */
export const CUSTOMER_ID = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const PLAYBOOK_KEY = defineSearchAttributeKey('PlaybookKey', SearchAttributeType.KEYWORD);
export const PLAYBOOK_VERSION = defineSearchAttributeKey('PlaybookVersion', SearchAttributeType.INT);
export const CURRENT_STEP = defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD);
export const OUTCOME = defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [CUSTOMER_ID, PLAYBOOK_KEY, PLAYBOOK_VERSION, CURRENT_STEP, OUTCOME];

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// The contract of docs/architecture.md: other tools query these names.
export const KmsKeyArn = defineSearchAttributeKey('KmsKeyArn', SearchAttributeType.KEYWORD);
export const KmsAccount = defineSearchAttributeKey('KmsAccount', SearchAttributeType.KEYWORD);
export const KmsRegion = defineSearchAttributeKey('KmsRegion', SearchAttributeType.KEYWORD);
export const RetirementPhaseAttr = defineSearchAttributeKey('RetirementPhase', SearchAttributeType.KEYWORD);
export const TicketId = defineSearchAttributeKey('TicketId', SearchAttributeType.KEYWORD);
export const SoakEndsAt = defineSearchAttributeKey('SoakEndsAt', SearchAttributeType.DATETIME);
/** The campaign a retirement belongs to, and the campaign's own name (issue 25). */
export const KmsCampaign = defineSearchAttributeKey('KmsCampaign', SearchAttributeType.KEYWORD);
/** A campaign's state: Running, Paused, Done, Cancelled. */
export const CampaignStateAttr = defineSearchAttributeKey('CampaignState', SearchAttributeType.KEYWORD);

/** Every custom search attribute, for registering with a server (`--search-attribute NAME=TYPE`). */
export const SEARCH_ATTRIBUTES = [
  KmsKeyArn,
  KmsAccount,
  KmsRegion,
  RetirementPhaseAttr,
  TicketId,
  SoakEndsAt,
  KmsCampaign,
  CampaignStateAttr,
] as const;

/** The CLI spelling of a search attribute type, as `temporal server start-dev --search-attribute` takes it. */
export function cliTypeName(type: SearchAttributeType): string {
  switch (type) {
    case SearchAttributeType.KEYWORD:
      return 'Keyword';
    case SearchAttributeType.DATETIME:
      return 'Datetime';
    case SearchAttributeType.TEXT:
      return 'Text';
    case SearchAttributeType.INT:
      return 'Int';
    case SearchAttributeType.DOUBLE:
      return 'Double';
    case SearchAttributeType.BOOL:
      return 'Bool';
    case SearchAttributeType.KEYWORD_LIST:
      return 'KeywordList';
  }
}

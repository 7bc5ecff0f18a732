import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Table types for kysely. Timestamps are ISO-8601 UTC text and booleans 0/1 on both databases
 * (see migrations/portable.ts), so repository code reads the same on SQLite and PostgreSQL.
 */
export interface SourcesTable {
  id: string;
  name: string;
  created_at: string;
  last_run_id: number | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  consecutive_failures: Generated<number>;
}

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'parser_suspect' | 'interrupted';

export interface RunsTable {
  id: Generated<number>;
  source_id: string;
  trigger: string;
  transport: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  discovered: Generated<number>;
  fetched: Generated<number>;
  not_modified: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  quarantined: Generated<number>;
  failed: Generated<number>;
  data_quality_problems: Generated<number>;
  last_error: string | null;
}

export interface RawResponsesTable {
  hash: string;
  url: string;
  final_url: string;
  http_status: number;
  content_type: string;
  charset: string;
  byte_length: number;
  stored_path: string;
  first_fetched_at: string;
}

export interface FetchStatesTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_raw_hash: string | null;
  last_fetched_at: string;
}

export interface FetchFailuresTable {
  id: Generated<number>;
  run_id: number | null;
  source_id: string;
  url: string;
  document_id: string | null;
  /** fetch | parse | validate | import */
  stage: string;
  error_type: string;
  message: string;
  raw_hash: string | null;
  created_at: string;
}

export interface DataQualityProblemsTable {
  id: Generated<number>;
  run_id: number;
  source_id: string;
  document_id: string | null;
  url: string;
  /** missing-date | empty-title | duplicate-document | numbering-gap | content-fallback */
  kind: string;
  detail: string;
  created_at: string;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface DocumentsTable {
  id: string;
  source_id: string;
  native_id: string;
  kind: string;
  jurisdiction: string;
  title: string;
  status: Generated<'active' | 'withdrawn'>;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  metadata: Generated<string>;
  created_at: string;
  updated_at: string;
}

export type VersionStatus = 'accepted' | 'quarantined';

export interface DocumentVersionsTable {
  id: Generated<number>;
  document_id: string;
  language: string;
  label: string;
  valid_from: string | null;
  title: string;
  source_url: string;
  fetched_at: string;
  content_hash: string;
  clause_count: number;
  status: VersionStatus;
  quarantine_reason: string | null;
  previous_version_id: number | null;
  run_id: number | null;
  raw_hash: string | null;
  /** Source metadata of this expression (JSON): extent, unapplied effects, alternate-language URL… */
  metadata: Generated<string>;
  created_at: string;
  /** Start date of the next accepted version (same document and language); null for the latest. */
  superseded_from: Generated<string | null>;
}

export interface ClausesTable {
  id: Generated<number>;
  document_id: string;
  current_key: string;
  created_at: string;
}

export interface ClauseVersionsTable {
  id: Generated<number>;
  clause_id: number;
  language: string;
  key: string;
  number: string | null;
  heading: string | null;
  parent_key: string | null;
  text: string;
  text_hash: string;
  marks: Generated<string>;
  document_version_id: number;
  created_at: string;
}

export interface VersionClausesTable {
  document_version_id: number;
  position: number;
  clause_id: number;
  clause_version_id: number;
}

export type ChangeKind = 'added' | 'removed' | 'reworded' | 'moved' | 'document_added' | 'language_added' | 'withdrawn' | 'retagged';

export interface ChangeEventsTable {
  id: Generated<number>;
  document_id: string;
  document_version_id: number | null;
  previous_version_id: number | null;
  clause_id: number | null;
  language: string | null;
  kind: ChangeKind;
  important: number;
  detail: Generated<string>;
  run_id: number | null;
  created_at: string;
}

export interface TagsTable {
  clause_version_id: number;
  matcher_version: string;
  coproduction: number;
  ambiguous: number;
  /** JSON: PrincipleTag[] (ids, kinds, scores, evidence). */
  principles: string;
  strength: string;
  funding: number;
  funding_tier: number;
  /** JSON: FundingAmount[]. */
  amounts: string;
  /** JSON: EvidenceSpan[]. */
  evidence: string;
  score: number;
  /** JSON: string[]. */
  reasons: string;
  tagged_at: string;
}

export interface TagReviewsTable {
  id: Generated<number>;
  clause_version_id: number;
  action: 'confirm' | 'reject' | 'correct';
  coproduction: number | null;
  strength: string | null;
  note: string;
  reviewer: string;
  created_at: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** `$scrypt$ln=…,r=…,p=…$salt$hash` (base64), see src/web/auth/passwords.ts. */
  password_hash: string;
  created_at: string;
  disabled: Generated<number>;
}

export interface SessionsTable {
  /** Hex SHA-256 of the token in the cookie; the token itself is never stored. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export type SubscriptionStatus = 'pending' | 'active' | 'paused' | 'suspended' | 'deleted';
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'dropped';

export interface SubscribersTable {
  id: Generated<number>;
  /** Normalised address; never rendered in a page, feed or export. */
  email: string;
  hard_bounces: Generated<number>;
  created_at: string;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  secret: string;
  label: string;
  status: Generated<'active' | 'disabled'>;
  disabled_reason: string | null;
  created_at: string;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  channel: 'email' | 'webhook';
  subscriber_id: number | null;
  webhook_id: number | null;
  target_type: 'search' | 'document' | 'clause' | 'principle';
  /** JSON, see migration 0007. */
  target: string;
  /** JSON array of alert event types. */
  event_types: string;
  frequency: 'immediate' | 'daily' | 'weekly';
  language: Generated<string>;
  status: SubscriptionStatus;
  suspended_reason: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  manage_token_hash: string;
  created_at: string;
  confirmed_at: string | null;
  updated_at: string;
}

export interface AlertDeliveriesTable {
  id: Generated<number>;
  subscription_id: number;
  channel: 'email' | 'webhook';
  window_key: string;
  message_id: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface AlertOutboxTable {
  id: Generated<number>;
  subscription_id: number;
  change_event_id: number;
  delivery_id: number | null;
  created_at: string;
}

export interface Database {
  sources: SourcesTable;
  runs: RunsTable;
  raw_responses: RawResponsesTable;
  fetch_states: FetchStatesTable;
  fetch_failures: FetchFailuresTable;
  leases: LeasesTable;
  data_quality_problems: DataQualityProblemsTable;
  tags: TagsTable;
  tag_reviews: TagReviewsTable;
  documents: DocumentsTable;
  document_versions: DocumentVersionsTable;
  clauses: ClausesTable;
  clause_versions: ClauseVersionsTable;
  version_clauses: VersionClausesTable;
  change_events: ChangeEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  subscribers: SubscribersTable;
  webhook_endpoints: WebhookEndpointsTable;
  subscriptions: SubscriptionsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_outbox: AlertOutboxTable;
}

export type Run = Selectable<RunsTable>;
export type NewChangeEvent = Insertable<ChangeEventsTable>;
export type DocumentVersion = Selectable<DocumentVersionsTable>;

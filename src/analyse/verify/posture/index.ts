/** The posture rules, in id order. Each lives in its own file, named after the rule. */
import { AdminPortsOpenToWorld } from './AdminPortsOpenToWorld.js';
import { DatabaseBackupsEnabled } from './DatabaseBackupsEnabled.js';
import { DatabaseNotPubliclyAccessible } from './DatabaseNotPubliclyAccessible.js';
import { EcrTagsImmutable } from './EcrTagsImmutable.js';
import { EksEndpointNotPublic } from './EksEndpointNotPublic.js';
import { HttpsRedirect } from './HttpsRedirect.js';
import { IamNoAdminWildcard } from './IamNoAdminWildcard.js';
import { Imdsv2Required } from './Imdsv2Required.js';
import { S3NotPublic } from './S3NotPublic.js';
import { S3RequireTls } from './S3RequireTls.js';
import { StatefulDataRetained } from './StatefulDataRetained.js';
import { StorageEncrypted } from './StorageEncrypted.js';
import type { PostureRule } from './rule.js';

export const POSTURE_RULES: readonly PostureRule[] = [
  Imdsv2Required, StorageEncrypted, StatefulDataRetained, EcrTagsImmutable, S3NotPublic, HttpsRedirect, IamNoAdminWildcard,
  AdminPortsOpenToWorld, EksEndpointNotPublic, DatabaseNotPubliclyAccessible, DatabaseBackupsEnabled, S3RequireTls,
];

export type { PostureRule } from './rule.js';

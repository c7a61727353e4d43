import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';

/** The version in plinth's own package.json, so `plinth --version` names what is installed. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

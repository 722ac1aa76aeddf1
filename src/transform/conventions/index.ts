/**
 * The convention families, in order of precedence: the first to set a field
 * owns it. HoneyHive's own attributes come first, since a user who writes them
 * means them.
 */
import type { SpanConvention } from '../event-draft';
import { honeyHiveConvention } from './honeyhive';

export const CONVENTIONS: readonly SpanConvention[] = [honeyHiveConvention];

// The families the detector chooses between. Adding a family is adding a file and a line here.
import type { Family } from '../family.js';
import { generic } from './generic.js';
import { hongshan } from './hongshan.js';
import { luan } from './luan.js';
import { mianyang } from './mianyang.js';
import { qinyang } from './qinyang.js';
import { suining } from './suining.js';

export const FAMILIES: readonly Family[] = [mianyang, luan, suining, qinyang, hongshan];
export const GENERIC: Family = generic;

export function familyOf(variant: string): Family | undefined {
  return [...FAMILIES, GENERIC].find((f) => f.variant === variant);
}

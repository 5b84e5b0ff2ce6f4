// The generated spec files, read once per suite.
import { readFileSync } from 'node:fs';
import { generatedDir } from '../../scripts/lib/project.ts';

export type Json = Record<string, any>;

export const readGenerated = (name: string): Json => JSON.parse(readFileSync(`${generatedDir}/${name}`, 'utf8'));

export const bundled = readGenerated('openapi.json');
export const dereferenced = readGenerated('openapi.deref.json');

export const PATH = '/v1/cluster/auditing/db_conns';
export const operation = (method: 'get' | 'put' | 'delete'): Json => dereferenced.paths[PATH][method];

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../../server/paths';

/**
 * The Teams app manifest against Microsoft's published JSON schema for the version it declares
 * (v1.17, vendored from OfficeDev/microsoft-teams-app-schema at 510341c, MIT: test/fixtures/teams/),
 * as the Teams admin centre and Developer Portal check it on upload.
 */
const SCHEMA = join(PROJECT_ROOT, 'test', 'fixtures', 'teams', 'MicrosoftTeams.v1.17.schema.json');
const MANIFEST = join(PROJECT_ROOT, 'appPackage', 'manifest.json');
const APP_ID = '6f1c3d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f';

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}

/** The manifest as the package script fills it: ${{MicrosoftAppId}} replaced by the bot's app id. */
function filledManifest(): Record<string, unknown> {
  const text = readFileSync(MANIFEST, 'utf8').replace(/\$\{\{\s*MicrosoftAppId\s*\}\}/g, APP_ID);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('Teams app manifest', () => {
  test('declares the schema version it is checked against', () => {
    const manifest = filledManifest();
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
  });

  test('validates against Microsoft\'s v1.17 schema', () => {
    const validate = validator();
    const valid = validate(filledManifest());
    expect(valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
  });

  test('the schema check would catch what Teams refused before (a long developer name, scope "groupchat")', () => {
    const validate = validator();
    const manifest = filledManifest();
    const broken = JSON.parse(JSON.stringify(manifest)) as { developer: { name: string }; bots: Array<{ scopes: string[] }> };
    broken.developer.name = 'Iekšlietu ministrijas Informācijas centrs';
    broken.bots[0]!.scopes = ['personal', 'team', 'groupchat'];
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(['/developer/name', '/bots/0/scopes/2']));
  });
});

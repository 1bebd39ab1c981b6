import type { Catalogs } from '../../../core/i18n/index.ts';
import { mergeCatalogs } from '../../../core/i18n/index.ts';
import dfr from './locales/fr.json' with { type: 'json' };
import dar from './locales/ar.json' with { type: 'json' };
import den from './locales/en.json' with { type: 'json' };
import ofr from '../open311/locales/fr.json' with { type: 'json' };
import oar from '../open311/locales/ar.json' with { type: 'json' };
import oen from '../open311/locales/en.json' with { type: 'json' };

/** The strings of the dashboards (`requests.dashboards.*`) and of Open311 (`requests.open311.*`). */
export const extraCatalogs: Catalogs = mergeCatalogs({ fr: dfr, ar: dar, en: den }, { fr: ofr, ar: oar, en: oen });

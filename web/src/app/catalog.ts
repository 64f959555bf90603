import catalogJson from '@catalog';
import { parseCatalog } from '../shared/catalog';

/** The shared model catalog, bundled at build time from core's resources (never a copy). */
export const catalog = parseCatalog(catalogJson);

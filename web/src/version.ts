/** The app's version, fixed at build time (APP_VERSION, else the package version): shown in the Sync tab for support. */
export const APP_VERSION: string = import.meta.env.VITE_APP_VERSION ?? 'dev';

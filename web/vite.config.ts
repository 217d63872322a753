import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

// A new version means a new precache manifest, hence a new service worker and the "update" prompt.
const version = process.env.APP_VERSION ?? pkg.version;

export default defineConfig({
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(version) },
  plugins: [
    react(),
    VitePWA({
      // We register ourselves with workbox-window (src/sw-register.ts): no inline script, so the CSP `script-src 'self'` holds.
      injectRegister: false,
      registerType: 'prompt',
      strategies: 'generateSW',
      includeAssets: ['icons/*.png'],
      manifest: {
        name: 'Bazaar Inventory',
        short_name: 'Bazaar',
        description: 'Offline-first stock and sales for kiryana stores',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f4',
        theme_color: '#0f766e',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Without clientsClaim the first visit is not controlled, so it would not work offline until a reload.
        clientsClaim: true,
        // Updates wait for the user's consent (the "Update" banner), never mid-sale.
        skipWaiting: false,
        // woff2: the Urdu face, so Urdu chosen for the first time offline still renders.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,woff2}'],
        navigateFallback: 'index.html',
        // The API is never cached: stale stock or a replayed push would be worse than an honest offline error.
        navigateFallbackDenylist: [/^\/api\//],
        runtimeCaching: [],
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    // The budget that matters is gzipped, checked by scripts/report-size.mjs.
    chunkSizeWarningLimit: 1000,
    // Which chunks the first load needs (its static imports), for the budget check.
    manifest: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});

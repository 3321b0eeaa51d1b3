// Unit tests in Debian's Chromium (CHROME_BIN), headless, with the flags of ARCHITECTURE §8.
process.env.CHROME_BIN = process.env.CHROME_BIN || '/usr/bin/chromium';
module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher')],
    customLaunchers: {
      ChromiumHeadlessCI: {
        base: 'ChromeHeadless',
        flags: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync'],
      },
    },
    reporters: ['progress'],
    browsers: ['ChromiumHeadlessCI'],
    port: 0, // a free port, chosen when the run starts
    singleRun: true,
    restartOnFileChange: false,
  });
};

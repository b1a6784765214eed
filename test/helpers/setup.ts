// Ink renders differently when CI is set; tests must see what a terminal user sees.
delete process.env['CI'];
process.env['FORCE_COLOR'] = '0';
// The AWS SDK warns on Node 20; the warning is noise in test output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

console.log('opt-demo');

console.log("opt-demo");

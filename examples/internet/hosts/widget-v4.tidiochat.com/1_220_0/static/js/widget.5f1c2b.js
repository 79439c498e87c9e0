/* blindspot webharness: stand-in for the Tidio widget bundle. */
window.tidioChatApi = window.tidioChatApi || { on: function () {}, open: function () {}, setVisitorData: function () {} };

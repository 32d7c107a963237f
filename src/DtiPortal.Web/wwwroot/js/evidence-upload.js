// Evidence upload with progress (issue 5). Large files go over plain HTTP to the streaming endpoint
// POST /api/bang-chung?assessmentId=&criterion= (Api/EvidenceEndpoints.cs), never over the Blazor circuit.
//
// Use from a component (the script is loaded by App.razor):
//
//   <input type="file" @ref="_input" multiple accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.doc,.xls,.odt,.ods,.csv,.txt" />
//   @inject AntiforgeryStateProvider Antiforgery        // Microsoft.AspNetCore.Components.Forms
//   _ref = DotNetObjectReference.Create(this);          // dispose it in Dispose()
//   var token = Antiforgery.GetAntiforgeryToken()?.Value;
//   var url = $"/api/bang-chung?assessmentId={id}&criterion={Uri.EscapeDataString(code)}";
//   await JS.InvokeVoidAsync("dtiEvidence.upload", _ref, _input, url, token, new { docNumber, issuedOn = "2024-05-20", issuer, summary });
//
//   [JSInvokable] public void OnProgress(int percent)      // 0..100, as bytes leave the browser
//   [JSInvokable] public void OnDone(string json)          // {"id":1,"fileName":"…","size":123,"sha256":"…","contentType":"…","warning":null|"Tệp này đã được đính kèm ở …"}
//   [JSInvokable] public void OnError(string message)      // Vietnamese, ready to show
//
// Every file selected in the input is uploaded in turn (one request each): OnProgress/OnDone/OnError are called per file,
// OnDone once for each stored file. The optional 5th argument holds the document's particulars (all optional; issuedOn as
// yyyy-MM-dd); they are sent before the file so the server has them when the file arrives. Returns a promise that resolves
// when every file is done. dtiEvidence.uploadFile(dotnetRef, file, url, token, metadata) uploads one File object.
(function () {
    "use strict";

    function call(ref, method, arg) {
        try { return ref.invokeMethodAsync(method, arg); } catch (e) { console.error(e); return Promise.resolve(); }
    }

    function uploadFile(dotnetRef, file, url, token, metadata) {
        return new Promise(function (resolve) {
            var form = new FormData();
            if (metadata) {
                ["docNumber", "issuedOn", "issuer", "summary"].forEach(function (k) {
                    if (metadata[k] !== undefined && metadata[k] !== null && metadata[k] !== "") form.append(k, metadata[k]);
                });
            }
            form.append("file", file, file.name);

            var xhr = new XMLHttpRequest();
            xhr.open("POST", url, true);
            xhr.setRequestHeader("RequestVerificationToken", token || "");
            xhr.setRequestHeader("Accept", "application/json");
            var lastPercent = -1;
            xhr.upload.onprogress = function (e) {
                if (!e.lengthComputable) return;
                var percent = Math.min(100, Math.floor(e.loaded * 100 / e.total));
                if (percent !== lastPercent) { lastPercent = percent; call(dotnetRef, "OnProgress", percent); }
            };
            xhr.onload = function () {
                var body = null;
                try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
                if (xhr.status === 200 && body && body.id) {
                    call(dotnetRef, "OnProgress", 100);
                    call(dotnetRef, "OnDone", xhr.responseText).then(resolve, resolve);
                    return;
                }
                var message = body && body.error ? body.error
                    : xhr.status === 401 ? "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi tải lên."
                    : xhr.status === 413 ? "Tệp \"" + file.name + "\" vượt quá dung lượng cho phép."
                    : "Không tải lên được tệp \"" + file.name + "\" (mã lỗi " + xhr.status + ").";
                call(dotnetRef, "OnError", message).then(resolve, resolve);
            };
            xhr.onerror = function () {
                call(dotnetRef, "OnError", "Mất kết nối khi tải lên tệp \"" + file.name + "\". Hãy thử lại.").then(resolve, resolve);
            };
            xhr.onabort = function () {
                call(dotnetRef, "OnError", "Đã hủy tải lên tệp \"" + file.name + "\".").then(resolve, resolve);
            };
            xhr.send(form);
        });
    }

    async function upload(dotnetRef, inputElement, url, token, metadata) {
        var files = inputElement && inputElement.files ? Array.prototype.slice.call(inputElement.files) : [];
        if (files.length === 0) { await call(dotnetRef, "OnError", "Chưa chọn tệp nào để tải lên."); return; }
        // No second choice while these files go up (the input is disabled, so its label opens nothing).
        inputElement.disabled = true;
        try {
            for (var i = 0; i < files.length; i++) await uploadFile(dotnetRef, files[i], url, token, metadata);
        } finally {
            inputElement.disabled = false;
            inputElement.value = "";
        }
    }

    window.dtiEvidence = { upload: upload, uploadFile: uploadFile };
})();

package corral.proxy.forward;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.ContinueNotification;
import io.undertow.client.PushCallback;
import io.undertow.util.AttachmentKey;
import io.undertow.util.AttachmentList;
import java.util.List;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/** A {@link ClientExchange} that hands every call to another: a wrapper overrides only what it adds. */
abstract class DelegatingClientExchange implements ClientExchange {
    protected final ClientExchange delegate;

    DelegatingClientExchange(ClientExchange delegate) {
        this.delegate = delegate;
    }

    @Override
    public void setResponseListener(ClientCallback<ClientExchange> responseListener) {
        delegate.setResponseListener(responseListener);
    }

    @Override
    public void setContinueHandler(ContinueNotification continueHandler) {
        delegate.setContinueHandler(continueHandler);
    }

    @Override
    public void setPushHandler(PushCallback pushCallback) {
        delegate.setPushHandler(pushCallback);
    }

    @Override
    public StreamSinkChannel getRequestChannel() {
        return delegate.getRequestChannel();
    }

    @Override
    public StreamSourceChannel getResponseChannel() {
        return delegate.getResponseChannel();
    }

    @Override
    public ClientRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ClientResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public ClientResponse getContinueResponse() {
        return delegate.getContinueResponse();
    }

    @Override
    public ClientConnection getConnection() {
        return delegate.getConnection();
    }

    @Override
    public <T> T getAttachment(AttachmentKey<T> key) {
        return delegate.getAttachment(key);
    }

    @Override
    public <T> List<T> getAttachmentList(AttachmentKey<? extends List<T>> key) {
        return delegate.getAttachmentList(key);
    }

    @Override
    public <T> T putAttachment(AttachmentKey<T> key, T value) {
        return delegate.putAttachment(key, value);
    }

    @Override
    public <T> T removeAttachment(AttachmentKey<T> key) {
        return delegate.removeAttachment(key);
    }

    @Override
    public <T> void addToAttachmentList(AttachmentKey<AttachmentList<T>> key, T value) {
        delegate.addToAttachmentList(key, value);
    }
}
